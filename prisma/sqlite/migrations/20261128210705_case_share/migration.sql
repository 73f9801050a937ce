-- CreateTable
CREATE TABLE "CaseShare" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "sharedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CaseShare_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ConsultationCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CaseShare_staffId_idx" ON "CaseShare"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "CaseShare_caseId_staffId_key" ON "CaseShare"("caseId", "staffId");
