-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN     "answeredById" TEXT,
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "dueAt" TIMESTAMP(3),
ALTER COLUMN "status" SET DEFAULT 'new';

-- Complaints recorded before the handling states: "open" is now "new".
UPDATE "Complaint" SET "status" = 'new' WHERE "status" = 'open';
