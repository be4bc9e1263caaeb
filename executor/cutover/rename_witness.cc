#include "executor/cutover/rename_witness.h"

#include <chrono>

#include "executor/apply/ddl_targets.h"
#include "executor/binlog/binlog_stream.h"
#include "executor/binlog/transaction_reader.h"

namespace lockstep::executor {

BinlogRenameWitness::BinlogRenameWitness(DcConfig dc, std::string password, uint32_t server_id,
                                         std::string schema, std::string table)
    : dc_(std::move(dc)),
      password_(std::move(password)),
      server_id_(server_id),
      schema_(std::move(schema)),
      table_(std::move(table)) {}

Result<WritesBeforeRename> BinlogRenameWitness::WritesBetween(const std::string& lock_position,
                                                              const std::string& rename_statement,
                                                              int64_t timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  binlog::BinlogStreamOptions options;
  options.server_id = server_id_;
  options.start_position = lock_position;
  options.filter = binlog::TableFilter{schema_, table_};
  options.heartbeat_period_ms = 100;
  options.max_reconnect_attempts = 2;
  LOCKSTEP_ASSIGN_OR_RETURN(std::unique_ptr<binlog::BinlogStream> stream,
                            binlog::BinlogStream::Open(dc_, password_, options));
  binlog::TransactionReader reader(stream.get());
  WritesBeforeRename found;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<binlog::Transaction> txn, reader.Next());
    if (txn) {
      bool wrote = !txn->changes.empty();
      for (const binlog::Statement& st : txn->statements) {
        if (st.text == rename_statement) return found;
        // A write to t logged as a statement (a session on STATEMENT or MIXED).
        wrote = wrote || StatementWritesTable(st.text, st.schema, schema_, table_);
      }
      if (wrote) {
        found.gtids.push_back(txn->gtid.ToString());
        found.rows += static_cast<int64_t>(txn->changes.size());
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Timeout(dc_.name + ": the RENAME was not found in the binlog within " +
                             std::to_string(timeout_ms) + " ms of " + lock_position);
    }
  }
}

}  // namespace lockstep::executor
