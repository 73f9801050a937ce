-- CreateTable
CREATE TABLE "ImpactFollowup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "wave" INTEGER NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "turnoverBefore" TEXT,
    "workersBefore" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "askedCount" INTEGER NOT NULL DEFAULT 0,
    "askedAt" DATETIME,
    "answeredAt" DATETIME,
    "channel" TEXT,
    "turnoverBand" TEXT,
    "workers" INTEGER,
    "financingObtained" BOOLEAN,
    "financingAmount" BIGINT,
    "financingSource" TEXT,
    "newMarkets" BOOLEAN,
    "newMarketsNote" TEXT,
    "licencesJson" TEXT NOT NULL DEFAULT '[]',
    "story" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImpactFollowup_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ConsultationCase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ImpactFollowup_answeredAt_idx" ON "ImpactFollowup"("answeredAt");

-- CreateIndex
CREATE INDEX "ImpactFollowup_clientId_idx" ON "ImpactFollowup"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "ImpactFollowup_caseId_wave_key" ON "ImpactFollowup"("caseId", "wave");
