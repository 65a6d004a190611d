-- AlterTable
ALTER TABLE "Artifact" ADD COLUMN     "fileName" TEXT;
