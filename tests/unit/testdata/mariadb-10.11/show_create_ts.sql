CREATE TABLE `ts` (
  `a` timestamp NULL DEFAULT NULL,
  `b` datetime DEFAULT '2000-01-01 00:00:00' ON UPDATE current_timestamp(),
  `c` int(10) unsigned zerofill DEFAULT NULL,
  `d` text CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `e` varchar(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT NULL,
  `f` double(10,2) DEFAULT NULL,
  `g` inet6 DEFAULT NULL,
  `h` int(11) DEFAULT -5,
  `i` float DEFAULT 0.00001
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
