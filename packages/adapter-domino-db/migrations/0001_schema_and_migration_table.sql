-- domino-sbermarket-hook, migration 0001: the hook's schema and the record of applied migrations.
-- {{schema}} is replaced by the validated schema name (default sm). Run by `domino-sbermarket-hook migrate`
-- with an administrator login, in one transaction together with the other pending migrations.

-- A DBA may create the (empty) schema beforehand, with an owner of their choice; otherwise it is created here.
-- CREATE SCHEMA must be alone in its batch, hence EXEC.
IF SCHEMA_ID(N'{{schema}}') IS NULL
  EXEC (N'CREATE SCHEMA [{{schema}}] AUTHORIZATION [dbo]');
GO

CREATE TABLE [{{schema}}].[schema_migration] (
  version     INT               NOT NULL CONSTRAINT [PK_schema_migration] PRIMARY KEY CLUSTERED,
  name        NVARCHAR(200)     NOT NULL,
  -- SHA-256 (hex) of the migration file as shipped, before {{schema}} is replaced.
  checksum    CHAR(64)          NOT NULL,
  applied_at  DATETIMEOFFSET(3) NOT NULL CONSTRAINT [DF_schema_migration_applied_at] DEFAULT (SYSDATETIMEOFFSET()),
  applied_by  NVARCHAR(128)     NOT NULL CONSTRAINT [DF_schema_migration_applied_by] DEFAULT (SUSER_SNAME())
);
GO
