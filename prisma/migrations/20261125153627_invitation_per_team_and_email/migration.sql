-- Inviting an address twice used to add a second row; keep the newest per team and address
-- (the one whose role and expiry the owner chose last) so the unique index below can be built.
DELETE FROM "Invitation" AS older
USING "Invitation" AS newer
WHERE older."teamId" = newer."teamId"
  AND older."email" = newer."email"
  AND (older."createdAt", older."id") < (newer."createdAt", newer."id");

-- DropIndex
DROP INDEX "Invitation_teamId_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_teamId_email_key" ON "Invitation"("teamId", "email");
