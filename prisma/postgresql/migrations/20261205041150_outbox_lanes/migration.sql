-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "lane" TEXT NOT NULL DEFAULT 'live';

-- CreateIndex
CREATE INDEX "OutboxMessage_lane_status_nextAttemptAt_idx" ON "OutboxMessage"("lane", "status", "nextAttemptAt");
