CREATE DATABASE shop;
USE shop;
CREATE TABLE customers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(190) NOT NULL,
  name VARCHAR(100) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL COMMENT 'the customer''s "display" name',
  status ENUM('new','active','closed') NOT NULL DEFAULT 'new',
  flags SET('a','b','c') DEFAULT 'a,b',
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  updated_at DATETIME(6) DEFAULT NULL,
  birthday DATE,
  score DECIMAL(10,2) NOT NULL DEFAULT 0,
  ratio DOUBLE DEFAULT 1.5,
  small TINYINT(1) NOT NULL DEFAULT 0,
  mid MEDIUMINT ZEROFILL,
  bits BIT(3) DEFAULT b'101',
  token BINARY(16),
  blobby LONGBLOB,
  notes TEXT,
  doc JSON,
  y YEAR,
  t TIME(3) DEFAULT '00:00:00.000',
  f FLOAT(7,3),
  price_cents INT AS (score * 100) VIRTUAL,
  email_domain VARCHAR(190) AS (SUBSTRING_INDEX(email, '@', -1)) PERSISTENT,
  u UUID DEFAULT NULL,
  UNIQUE KEY uk_email (email),
  KEY k_name_status (name(10), status),
  KEY k_created (created_at DESC),
  FULLTEXT KEY ft_notes (notes),
  CONSTRAINT chk_score CHECK (score >= 0)
) ENGINE=InnoDB AUTO_INCREMENT=1001 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='people who buy';
CREATE TABLE orders (
  id INT NOT NULL AUTO_INCREMENT,
  customer_id BIGINT UNSIGNED NOT NULL,
  total DECIMAL(12,2) NOT NULL,
  placed DATE NOT NULL,
  PRIMARY KEY (id, placed),
  KEY k_customer (customer_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC
PARTITION BY RANGE (YEAR(placed)) (
  PARTITION p2023 VALUES LESS THAN (2024),
  PARTITION p2024 VALUES LESS THAN (2025),
  PARTITION pmax VALUES LESS THAN MAXVALUE
);
CREATE TABLE order_items (
  order_id INT NOT NULL,
  line SMALLINT NOT NULL,
  customer_id BIGINT UNSIGNED NOT NULL,
  sku CHAR(12) NOT NULL,
  qty INT NOT NULL DEFAULT 1,
  PRIMARY KEY (order_id, line),
  KEY k_cust (customer_id),
  CONSTRAINT fk_items_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE ON UPDATE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE TABLE audit_log (
  happened TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  who VARCHAR(64) NOT NULL DEFAULT '',
  what TEXT NOT NULL
) ENGINE=InnoDB;
CREATE TRIGGER customers_ai AFTER INSERT ON customers FOR EACH ROW INSERT INTO audit_log (who, what) VALUES ('trigger', CONCAT('new customer; id=', NEW.id));
CREATE VIEW active_customers AS SELECT id, email FROM customers WHERE status = 'active';
CREATE TABLE kv (
  k VARCHAR(64) NOT NULL,
  v VARBINARY(255) DEFAULT 'x\'y',
  PRIMARY KEY (k) USING HASH
) ENGINE=MEMORY;
