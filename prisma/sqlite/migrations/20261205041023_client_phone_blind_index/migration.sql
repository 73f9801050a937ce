-- AlterTable
ALTER TABLE "Client" ADD COLUMN "phoneHash" TEXT;

-- CreateIndex
CREATE INDEX "Client_phoneHash_idx" ON "Client"("phoneHash");
