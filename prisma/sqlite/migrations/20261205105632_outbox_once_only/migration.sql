-- Written by hand instead of Prisma's table rebuild: SQLite adds a column with a constant default
-- in place, so a large outbox is not copied at start-up. The drift test checks the result.
ALTER TABLE "OutboxMessage" ADD COLUMN "onceOnly" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "OutboxMessage" ADD COLUMN "sendingAt" DATETIME;
