-- CreateTable
CREATE TABLE "CaseShare" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "sharedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseShare_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CaseShare_staffId_idx" ON "CaseShare"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "CaseShare_caseId_staffId_key" ON "CaseShare"("caseId", "staffId");

-- AddForeignKey
ALTER TABLE "CaseShare" ADD CONSTRAINT "CaseShare_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ConsultationCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;
