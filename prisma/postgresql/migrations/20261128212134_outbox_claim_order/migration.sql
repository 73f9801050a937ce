-- DropIndex
DROP INDEX "OutboxMessage_status_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_seq_idx" ON "OutboxMessage"("status", "nextAttemptAt", "seq");
