-- CreateTable
CREATE TABLE "ServiceLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceLease_pkey" PRIMARY KEY ("name")
);
