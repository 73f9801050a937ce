-- AlterTable
ALTER TABLE "FinalReport" ADD COLUMN     "archivedById" TEXT,
ADD COLUMN     "clientAgreedAt" TIMESTAMP(3),
ADD COLUMN     "clientAgreedChannel" TEXT,
ADD COLUMN     "clientAgreedIdentityId" TEXT,
ADD COLUMN     "clientFeedback" TEXT,
ADD COLUMN     "clientFeedbackAt" TIMESTAMP(3);
