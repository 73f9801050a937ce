-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "addressSealed" TEXT;
