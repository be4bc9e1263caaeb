CREATE TABLE `misc` (
  `id` int(11) NOT NULL DEFAULT nextval(`shop`.`seq1`),
  `hidden` int(11) INVISIBLE DEFAULT NULL,
  `comp` blob /*M!100301 COMPRESSED*/ DEFAULT NULL,
  `g` point NOT NULL,
  `note` varchar(20) DEFAULT NULL COMMENT 'line1\nline2 ''q'' "d" \\ back',
  `j` int(11) DEFAULT (`id` + 1),
  `k` int(11) DEFAULT NULL CHECK (`k` > 1 + 2),
  `b` tinyint(1) DEFAULT 1,
  PRIMARY KEY (`id`) USING BTREE,
  SPATIAL KEY `sp` (`g`),
  KEY `kb` (`hidden`) COMMENT 'idx comment' IGNORED,
  KEY `kl` (`note`) KEY_BLOCK_SIZE=8
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci STATS_PERSISTENT=0 CHECKSUM=1 COMMENT='it''s' `PAGE_COMPRESSED`='1'
