import { boolean, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './columns';

export const users = pgTable('users', {
  id: id(),
  email: text().notNull().unique(),
  name: text().notNull().default(''),
  passwordHash: text().notNull(),
  role: text({ enum: ['admin', 'operator'] }).notNull().default('operator'),
  disabledAt: timestamp({ withTimezone: true }),
  lastLoginAt: timestamp({ withTimezone: true }),
  createdAt: createdAt(),
});

/** A session row is keyed by the SHA-256 of the cookie value; the cookie alone never reaches the database. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: ref()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index().on(t.userId), index().on(t.expiresAt)],
);

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  name: text().notNull(),
  tokenHash: text().notNull().unique(),
  prefix: text().notNull(),
  /**
   * What the token may do (chosen at creation, least privilege by default): `read` GET requests only, `review` also
   * the review work (videos, candidates, channels, settings), `admin` also operators and tokens.
   */
  scope: text({ enum: ['read', 'review', 'admin'] }).notNull().default('read'),
  createdBy: ref().references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  lastUsedAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
});

/** Sign-in attempts, for throttling across processes. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: id(),
    email: text().notNull(),
    ip: text().notNull().default(''),
    success: boolean().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.email, t.at), index().on(t.ip, t.at)],
);
