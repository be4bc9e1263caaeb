-- sysbench script for sandbox/load --sharded: a ShardingZone's application.
-- Each DC writes only its own rows of sbtest1..N (ids equal to --dc modulo
-- --dcs), so that writes in every DC at once never meet on a row. One event
-- is one transaction, like oltp_write_only: two updates (an indexed and a
-- plain column), then a delete and an insert of the same id.

sysbench.cmdline.options = {
  dc = {"this DC's number (1..dcs)", 1},
  dcs = {"how many DCs write the table", 1},
  tables = {"number of tables", 1},
  table_size = {"rows per table", 10000},
  auto_inc = {"accepted for sandbox/load's common options; ids are always given", false},
}

local function own_id()
  local stripe = math.max(1, math.floor(sysbench.opt.table_size / sysbench.opt.dcs))
  return sysbench.rand.uniform(0, stripe - 1) * sysbench.opt.dcs + sysbench.opt.dc
end

function thread_init()
  drv = sysbench.sql.driver()
  con = drv:connect()
end

function thread_done()
  con:disconnect()
end

function event()
  local t = "sbtest" .. sysbench.rand.uniform(1, sysbench.opt.tables)
  local id = own_id()
  local moved = own_id()
  local c = sysbench.rand.string(string.rep("@", 120))
  local pad = sysbench.rand.string(string.rep("@", 60))
  con:query("BEGIN")
  con:query(string.format("UPDATE %s SET k = k + 1 WHERE id = %d", t, id))
  con:query(string.format("UPDATE %s SET c = '%s' WHERE id = %d", t, c, id))
  con:query(string.format("DELETE FROM %s WHERE id = %d", t, moved))
  con:query(string.format("INSERT INTO %s (id, k, c, pad) VALUES (%d, %d, '%s', '%s')", t, moved,
                          sysbench.rand.default(1, sysbench.opt.table_size), c, pad))
  con:query("COMMIT")
end
