-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "fileRemovedAt" TIMESTAMP(3);
