#include "executor/binlog/transaction_reader.h"

namespace lockstep::binlog {

Result<std::optional<Transaction>> TransactionReader::Next() {
  std::optional<Transaction> txn;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(BinlogEvent ev, stream_->Next());
    switch (ev.kind) {
      case EventKind::kTransactionStart:
        txn.emplace();
        txn->gtid = ev.gtid;
        break;
      case EventKind::kReconnected:
        txn.reset();  // sent again from its start
        break;
      case EventKind::kHeartbeat:
        if (!txn) return std::optional<Transaction>();
        break;
      case EventKind::kRows:
        if (txn) {
          for (RowChange& c : ev.changes) txn->changes.push_back(std::move(c));
        }
        break;
      case EventKind::kQuery:
        if (txn) txn->statements.push_back(Statement{std::move(ev.schema), std::move(ev.statement)});
        break;
      case EventKind::kXaPrepare:
        if (txn) txn->xa_prepared = true;
        break;
      default:
        break;
    }
    if (ev.ends_transaction && txn) {
      txn->position_after = stream_->position();
      return txn;
    }
  }
}

}  // namespace lockstep::binlog
