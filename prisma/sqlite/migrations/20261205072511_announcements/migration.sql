-- CreateTable
CREATE TABLE "Announcement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "attachmentKey" TEXT,
    "attachmentMime" TEXT,
    "attachmentName" TEXT,
    "filterJson" TEXT NOT NULL DEFAULT '{}',
    "rsvpQuota" INTEGER,
    "rsvpClosesAt" DATETIME,
    "rsvpTaken" INTEGER NOT NULL DEFAULT 0,
    "eventAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "createdById" TEXT NOT NULL,
    "confirmedById" TEXT,
    "confirmedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AnnouncementRecipient" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "announcementId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "reminderId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "skipReason" TEXT,
    "identityId" TEXT,
    "channel" TEXT,
    "outboxKey" TEXT,
    "rsvp" TEXT,
    "rsvpAt" DATETIME,
    "attended" BOOLEAN,
    "attendanceAt" DATETIME,
    "attendanceById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AnnouncementRecipient_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "Announcement" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AnnouncementRecipient_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fullName" TEXT NOT NULL,
    "nikCipher" TEXT,
    "nikHash" TEXT,
    "nikLast4" TEXT,
    "sex" TEXT,
    "birthDate" DATETIME,
    "phone" TEXT,
    "phoneHash" TEXT,
    "email" TEXT,
    "address" TEXT,
    "kecamatan" TEXT,
    "desa" TEXT,
    "plutMemberNo" TEXT,
    "language" TEXT NOT NULL DEFAULT 'id',
    "remindersOn" BOOLEAN NOT NULL DEFAULT true,
    "announcementsOn" BOOLEAN NOT NULL DEFAULT true,
    "unreachableAt" DATETIME,
    "anonymisedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Client" ("address", "anonymisedAt", "birthDate", "createdAt", "desa", "email", "fullName", "id", "kecamatan", "language", "nikCipher", "nikHash", "nikLast4", "phone", "phoneHash", "plutMemberNo", "remindersOn", "sex", "unreachableAt", "updatedAt") SELECT "address", "anonymisedAt", "birthDate", "createdAt", "desa", "email", "fullName", "id", "kecamatan", "language", "nikCipher", "nikHash", "nikLast4", "phone", "phoneHash", "plutMemberNo", "remindersOn", "sex", "unreachableAt", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE INDEX "Client_nikHash_idx" ON "Client"("nikHash");
CREATE INDEX "Client_phoneHash_idx" ON "Client"("phoneHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Announcement_createdAt_idx" ON "Announcement"("createdAt");

-- CreateIndex
CREATE INDEX "AnnouncementRecipient_announcementId_rsvp_rsvpAt_idx" ON "AnnouncementRecipient"("announcementId", "rsvp", "rsvpAt");

-- CreateIndex
CREATE INDEX "AnnouncementRecipient_clientId_idx" ON "AnnouncementRecipient"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementRecipient_announcementId_clientId_key" ON "AnnouncementRecipient"("announcementId", "clientId");
