CREATE TABLE `audit_log` (
  `happened` timestamp(3) NOT NULL DEFAULT current_timestamp(3),
  `who` varchar(64) NOT NULL DEFAULT '',
  `what` text NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
