-- AlterTable
ALTER TABLE "FinalReport" ADD COLUMN "archivedById" TEXT;
ALTER TABLE "FinalReport" ADD COLUMN "clientAgreedAt" DATETIME;
ALTER TABLE "FinalReport" ADD COLUMN "clientAgreedChannel" TEXT;
ALTER TABLE "FinalReport" ADD COLUMN "clientAgreedIdentityId" TEXT;
ALTER TABLE "FinalReport" ADD COLUMN "clientFeedback" TEXT;
ALTER TABLE "FinalReport" ADD COLUMN "clientFeedbackAt" DATETIME;
