CREATE TABLE `order_items` (
  `order_id` int(11) NOT NULL,
  `line` smallint(6) NOT NULL,
  `customer_id` bigint(20) unsigned NOT NULL,
  `sku` char(12) NOT NULL,
  `qty` int(11) NOT NULL DEFAULT 1,
  PRIMARY KEY (`order_id`,`line`),
  KEY `k_cust` (`customer_id`),
  CONSTRAINT `fk_items_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
