-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "onceOnly" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sendingAt" TIMESTAMP(3);
