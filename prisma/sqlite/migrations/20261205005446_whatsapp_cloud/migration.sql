-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "deliveredAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "providerMessageId" TEXT;
ALTER TABLE "OutboxMessage" ADD COLUMN "readAt" DATETIME;

-- CreateTable
CREATE TABLE "WhatsAppWindow" (
    "address" TEXT NOT NULL PRIMARY KEY,
    "lastInboundAt" DATETIME,
    "noticeSentAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "OutboxMessage_providerMessageId_idx" ON "OutboxMessage"("providerMessageId");
