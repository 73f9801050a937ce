-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Complaint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT,
    "identityId" TEXT NOT NULL,
    "caseId" TEXT,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "response" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" DATETIME,
    "dueAt" DATETIME,
    "answeredById" TEXT,
    "closedAt" DATETIME,
    CONSTRAINT "Complaint_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Complaint_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ConsultationCase" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Complaint" ("answeredAt", "caseId", "clientId", "createdAt", "id", "identityId", "response", "status", "text") SELECT "answeredAt", "caseId", "clientId", "createdAt", "id", "identityId", "response", "status", "text" FROM "Complaint";
DROP TABLE "Complaint";
ALTER TABLE "new_Complaint" RENAME TO "Complaint";
CREATE INDEX "Complaint_createdAt_idx" ON "Complaint"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Complaints recorded before the handling states: "open" is now "new".
UPDATE "Complaint" SET "status" = 'new' WHERE "status" = 'open';
