-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "announcementsOn" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "Announcement" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "attachmentKey" TEXT,
    "attachmentMime" TEXT,
    "attachmentName" TEXT,
    "filterJson" TEXT NOT NULL DEFAULT '{}',
    "rsvpQuota" INTEGER,
    "rsvpClosesAt" TIMESTAMP(3),
    "rsvpTaken" INTEGER NOT NULL DEFAULT 0,
    "eventAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'draft',
    "createdById" TEXT NOT NULL,
    "confirmedById" TEXT,
    "confirmedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnnouncementRecipient" (
    "id" TEXT NOT NULL,
    "announcementId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "reminderId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "skipReason" TEXT,
    "identityId" TEXT,
    "channel" TEXT,
    "outboxKey" TEXT,
    "rsvp" TEXT,
    "rsvpAt" TIMESTAMP(3),
    "attended" BOOLEAN,
    "attendanceAt" TIMESTAMP(3),
    "attendanceById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnnouncementRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Announcement_createdAt_idx" ON "Announcement"("createdAt");

-- CreateIndex
CREATE INDEX "AnnouncementRecipient_announcementId_rsvp_rsvpAt_idx" ON "AnnouncementRecipient"("announcementId", "rsvp", "rsvpAt");

-- CreateIndex
CREATE INDEX "AnnouncementRecipient_clientId_idx" ON "AnnouncementRecipient"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementRecipient_announcementId_clientId_key" ON "AnnouncementRecipient"("announcementId", "clientId");

-- AddForeignKey
ALTER TABLE "AnnouncementRecipient" ADD CONSTRAINT "AnnouncementRecipient_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "Announcement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnouncementRecipient" ADD CONSTRAINT "AnnouncementRecipient_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;
