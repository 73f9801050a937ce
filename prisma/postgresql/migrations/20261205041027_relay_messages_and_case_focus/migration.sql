-- AlterTable
ALTER TABLE "RelayMessage" ADD COLUMN     "deliveryKey" TEXT,
ADD COLUMN     "documentId" TEXT,
ADD COLUMN     "staffId" TEXT,
ADD COLUMN     "undelivered" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CaseFocus" (
    "identityId" TEXT NOT NULL,
    "caseId" TEXT,
    "heldJson" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseFocus_pkey" PRIMARY KEY ("identityId")
);

-- CreateIndex
CREATE INDEX "RelayMessage_deliveryKey_idx" ON "RelayMessage"("deliveryKey");

-- AddForeignKey
ALTER TABLE "CaseFocus" ADD CONSTRAINT "CaseFocus_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity"("id") ON DELETE CASCADE ON UPDATE CASCADE;
