CREATE TABLE `lst` (
  `id` int(11) NOT NULL,
  `c` char(2) NOT NULL,
  PRIMARY KEY (`id`,`c`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
 PARTITION BY LIST  COLUMNS(`c`)
(PARTITION `pa` VALUES IN ('a','b') ENGINE = InnoDB,
 PARTITION `pz` VALUES IN ('z') ENGINE = InnoDB)
