-- CreateTable
CREATE TABLE "StoredBlob" (
    "storageKey" TEXT NOT NULL PRIMARY KEY,
    "sealed" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebChatEntry" (
    "personId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "sealed" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("personId", "seq")
);
