import { eq } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { parseChannelInput } from '@/src/server/channels/channel-input';
import { a1, type SheetsClient } from '@/src/server/integrations/sheets/client';
import { log } from '@/src/server/logger';
import { mapImportHeader, readImportRow, type ImportRow } from './columns';

const { channels, celebrities } = schema;

export type ImportResult = {
  sheet: string;
  rows: number;
  created: number;
  existing: number;
  skipped: { row: number; reason: string }[];
};

async function celebrityIdFor(row: ImportRow): Promise<number | null> {
  if (!row.celebrity) return null;
  const name = row.celebrity.normalize('NFC').trim();
  await getDb()
    .insert(celebrities)
    .values({ name, aliases: [...new Set(row.aliases.filter((a) => a !== name))] })
    .onConflictDoNothing();
  const [found] = await getDb().select({ id: celebrities.id }).from(celebrities).where(eq(celebrities.name, name));
  return found?.id ?? null;
}

/**
 * Registers one channel from the sheet. Without the channels service's resolver here, only a well-formed UC… id (or a
 * /channel/UC… URL) is accepted; a handle-only row is reported so the operator can add it in the console, where it is
 * resolved through the YouTube Data API. Returns false when the channel was already registered.
 */
async function insertChannel(row: ImportRow, channelId: string): Promise<boolean> {
  const celebrityId = row.kind === 'celebrity' ? await celebrityIdFor(row) : null;
  const inserted = await getDb()
    .insert(channels)
    .values({ youtubeChannelId: channelId, title: row.name, kind: row.kind, celebrityId, status: row.status })
    .onConflictDoNothing()
    .returning({ id: channels.id });
  return inserted.length > 0;
}

/**
 * Imports channels from the team's sheet. Columns are found by header name; the channel id must be well-formed.
 * Channels already registered are left as they are (the console owns their status): importing twice changes nothing.
 * Rows that cannot be imported are reported with their row number and reason.
 */
export async function importChannelsFromSheet(client: SheetsClient, sheet: string): Promise<ImportResult> {
  const titles = await client.sheetTitles();
  if (!titles.includes(sheet)) {
    throw new DomainError('bad_request', `The spreadsheet has no sheet named "${sheet}" (SHEETS_IMPORT_SHEET); it has: ${titles.join(', ') || 'none'}.`);
  }
  const values = await client.getValues(a1(sheet, 'A1:ZZ'));
  const result: ImportResult = { sheet, rows: Math.max(0, values.length - 1), created: 0, existing: 0, skipped: [] };
  if (values.length === 0) return result;
  const cols = mapImportHeader(values[0]);
  if (cols.channelId === undefined && cols.url === undefined && cols.handle === undefined) {
    throw new DomainError(
      'bad_request',
      `Sheet "${sheet}": no column names the channel; add a header "channelId" (or 채널 ID), "url" or "handle" in row 1.`,
    );
  }
  for (let i = 1; i < values.length; i++) {
    const cells = values[i];
    if (!cells.some((c) => c.trim() !== '')) {
      result.rows--;
      continue;
    }
    const parsed = readImportRow(cells, cols, i + 1);
    if ('skip' in parsed) {
      result.skipped.push({ row: parsed.row, reason: parsed.skip });
      continue;
    }
    try {
      const input = parseChannelInput(parsed.input!);
      if (input.kind !== 'id') {
        result.skipped.push({ row: parsed.row, reason: `${input.handle}: enter the channel's UC… id (or /channel/UC… URL); handles are resolved when a channel is added in the console` });
        continue;
      }
      if (await insertChannel(parsed, input.channelId)) result.created++;
      else result.existing++;
    } catch (err) {
      if (err instanceof DomainError) {
        result.skipped.push({ row: parsed.row, reason: err.message });
        continue;
      }
      throw err;
    }
  }
  log.info({ sheet, created: result.created, existing: result.existing, skipped: result.skipped.length }, 'channels imported from sheet');
  return result;
}
