import { bigint, boolean, timestamp } from 'drizzle-orm/pg-core';

/** Shared column sets. Ids are bigint identities, exposed as strings in the API. */
export const id = () => bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
export const ref = () => bigint({ mode: 'number' });
export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
/** Rows made by `npm run seed:demo`; shown with a 데모 badge and removable as a set. */
export const isDemo = () => boolean().notNull().default(false);
