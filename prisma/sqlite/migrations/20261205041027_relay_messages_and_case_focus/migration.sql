-- CreateTable
CREATE TABLE "CaseFocus" (
    "identityId" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT,
    "heldJson" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CaseFocus_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RelayMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "fromRole" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staffId" TEXT,
    "documentId" TEXT,
    "deliveryKey" TEXT,
    "undelivered" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "RelayMessage_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ConsultationCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RelayMessage" ("caseId", "createdAt", "fromRole", "id", "text") SELECT "caseId", "createdAt", "fromRole", "id", "text" FROM "RelayMessage";
DROP TABLE "RelayMessage";
ALTER TABLE "new_RelayMessage" RENAME TO "RelayMessage";
CREATE INDEX "RelayMessage_caseId_idx" ON "RelayMessage"("caseId");
CREATE INDEX "RelayMessage_deliveryKey_idx" ON "RelayMessage"("deliveryKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
