-- AlterTable
ALTER TABLE "Document" ADD COLUMN "fileRemovedAt" DATETIME;
