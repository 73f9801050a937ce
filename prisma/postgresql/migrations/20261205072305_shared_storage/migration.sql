-- CreateTable
CREATE TABLE "StoredBlob" (
    "storageKey" TEXT NOT NULL,
    "sealed" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredBlob_pkey" PRIMARY KEY ("storageKey")
);

-- CreateTable
CREATE TABLE "WebChatEntry" (
    "personId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "sealed" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebChatEntry_pkey" PRIMARY KEY ("personId","seq")
);
