import { eq } from 'drizzle-orm';
import { getDb, schema } from '@/src/server/db';
import { DomainError } from '@/src/server/errors';
import { createCelebrity, createChannel, DuplicateChannelError, updateChannel } from '@/src/server/channels';
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

/** The celebrity named in the row, created (with the row's aliases) through the channels service when new. */
async function celebrityIdFor(row: ImportRow): Promise<string | null> {
  if (!row.celebrity) return null;
  const name = row.celebrity.normalize('NFC').trim();
  const find = async () => (await getDb().select({ id: celebrities.id }).from(celebrities).where(eq(celebrities.name, name)))[0];
  const found = await find();
  if (found) return String(found.id);
  try {
    return (await createCelebrity({ name, aliases: row.aliases })).id;
  } catch (err) {
    const again = err instanceof DomainError && err.code === 'conflict' ? await find() : undefined;
    if (again) return String(again.id);
    throw err;
  }
}

/**
 * Imports channels from the team's sheet. Columns are found by header name. Every new channel is validated and
 * registered through the channels service (channels.list by id or handle when YOUTUBE_API_KEY is set, else the UC… id's
 * public feed must answer), so the sheet is never trusted as typed.
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
      if (input.kind === 'id') {
        const [known] = await getDb().select({ id: channels.id }).from(channels).where(eq(channels.youtubeChannelId, input.channelId));
        if (known) {
          result.existing++;
          continue;
        }
      }
      const celebrityId = parsed.kind === 'celebrity' ? await celebrityIdFor(parsed) : null;
      const created = await createChannel({ input: parsed.input!, kind: parsed.kind, celebrityId });
      if (parsed.status !== 'active') await updateChannel(created.id, { status: parsed.status });
      result.created++;
    } catch (err) {
      if (err instanceof DuplicateChannelError) {
        result.existing++;
        continue;
      }
      // A bad id, an unknown handle, a handle without YOUTUBE_API_KEY, a feed that is down: reported, the rest goes on.
      if (err instanceof DomainError && err.code !== 'internal' && err.code !== 'not_configured') {
        result.skipped.push({ row: parsed.row, reason: err.message });
        continue;
      }
      throw err;
    }
  }
  log.info({ sheet, created: result.created, existing: result.existing, skipped: result.skipped.length }, 'channels imported from sheet');
  return result;
}
