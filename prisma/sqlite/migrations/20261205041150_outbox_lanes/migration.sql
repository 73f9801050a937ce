-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "identityId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "idempotencyKey" TEXT NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "leasedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "providerMessageId" TEXT,
    "deliveredAt" DATETIME,
    "readAt" DATETIME,
    "lane" TEXT NOT NULL DEFAULT 'live',
    CONSTRAINT "OutboxMessage_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_OutboxMessage" ("address", "attempts", "channel", "createdAt", "deliveredAt", "id", "idempotencyKey", "identityId", "lastError", "leaseUntil", "leasedBy", "nextAttemptAt", "payloadJson", "providerMessageId", "readAt", "sentAt", "seq", "status") SELECT "address", "attempts", "channel", "createdAt", "deliveredAt", "id", "idempotencyKey", "identityId", "lastError", "leaseUntil", "leasedBy", "nextAttemptAt", "payloadJson", "providerMessageId", "readAt", "sentAt", "seq", "status" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_idempotencyKey_key" ON "OutboxMessage"("idempotencyKey");
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");
CREATE INDEX "OutboxMessage_lane_status_nextAttemptAt_idx" ON "OutboxMessage"("lane", "status", "nextAttemptAt");
CREATE INDEX "OutboxMessage_identityId_seq_idx" ON "OutboxMessage"("identityId", "seq");
CREATE INDEX "OutboxMessage_providerMessageId_idx" ON "OutboxMessage"("providerMessageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
