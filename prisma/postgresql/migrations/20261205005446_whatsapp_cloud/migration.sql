-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "providerMessageId" TEXT,
ADD COLUMN     "readAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "WhatsAppWindow" (
    "address" TEXT NOT NULL,
    "lastInboundAt" TIMESTAMP(3),
    "noticeSentAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WhatsAppWindow_pkey" PRIMARY KEY ("address")
);

-- CreateIndex
CREATE INDEX "OutboxMessage_providerMessageId_idx" ON "OutboxMessage"("providerMessageId");
