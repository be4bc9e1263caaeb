CREATE TABLE `kv` (
  `k` varchar(64) NOT NULL,
  `v` varbinary(255) DEFAULT 'x''y',
  PRIMARY KEY (`k`) USING HASH
) ENGINE=MEMORY DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
