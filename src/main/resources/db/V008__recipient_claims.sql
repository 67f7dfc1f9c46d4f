-- How many times each recipient was claimed for delivery. A claim ends in an outcome (delivered, deferred:
-- attempts + 1, failed) or is interrupted (a crash, a lost lease, an outcome that could not be written); when a
-- recipient has been claimed more often than its attempts account for, its copy may already be in the Maildir,
-- and local delivery looks for it there before writing another (zero-duplicate delivery, issue 10).
ALTER TABLE recipients ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
