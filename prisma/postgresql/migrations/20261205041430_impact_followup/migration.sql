-- CreateTable
CREATE TABLE "ImpactFollowup" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "wave" INTEGER NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "turnoverBefore" TEXT,
    "workersBefore" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "askedCount" INTEGER NOT NULL DEFAULT 0,
    "askedAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImpactFollowup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImpactFollowup_answeredAt_idx" ON "ImpactFollowup"("answeredAt");

-- CreateIndex
CREATE INDEX "ImpactFollowup_clientId_idx" ON "ImpactFollowup"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "ImpactFollowup_caseId_wave_key" ON "ImpactFollowup"("caseId", "wave");

-- AddForeignKey
ALTER TABLE "ImpactFollowup" ADD CONSTRAINT "ImpactFollowup_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ConsultationCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;
