import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { readEnvFlag } from '../config/env.js';

/** manifests/teams, from src/cli or dist/cli alike. */
export const TEAMS_MANIFEST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'manifests', 'teams');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A minimal ZIP (deflate, no directories) — what the Teams admin centre and Developer Portal accept. */
export function writeZip(files: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const packed = deflateRawSync(f.data);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time and date: 1980-01-01, for reproducible packages
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** The manifest with this deployment's bot id and domain filled in. */
export async function teamsManifest(clientId: string, publicUrl: string): Promise<object> {
  const m = JSON.parse(await readFile(join(TEAMS_MANIFEST_DIR, 'manifest.json'), 'utf8')) as {
    id: string;
    bots: Array<{ botId: string }>;
    validDomains: string[];
    developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  };
  const url = new URL(publicUrl);
  m.id = clientId;
  for (const bot of m.bots) bot.botId = clientId;
  m.validDomains = [url.host];
  m.developer.websiteUrl = url.origin;
  m.developer.privacyUrl = `${url.origin}/privacy`;
  m.developer.termsOfUseUrl = `${url.origin}/terms`;
  return m;
}

/** `odoo-chatops manifest teams --out app.zip`: the Teams app package for this deployment. */
export async function manifestCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string', default: 'app.zip' } },
  });
  if (positionals[0] !== 'teams') {
    console.error(
      'Usage: odoo-chatops manifest teams [--out app.zip]  (only Teams needs a package; Slack uses manifests/slack/manifest.yaml)',
    );
    return 2;
  }
  const clientId = readEnvFlag('TEAMS_CLIENT_ID', env)?.trim();
  const publicUrl = readEnvFlag('PUBLIC_URL', env)?.trim();
  const problems: string[] = [];
  if (!clientId || !GUID.test(clientId))
    problems.push("TEAMS_CLIENT_ID must be the Application (client) ID of the bot's Entra app registration (a GUID).");
  if (!publicUrl || !/^https?:\/\/[^/]+/.test(publicUrl))
    problems.push(
      'PUBLIC_URL must be the public https URL of this service, e.g. https://chatops.example.com (Teams posts to <PUBLIC_URL>/api/messages).',
    );
  if (problems.length > 0 || !clientId || !publicUrl) {
    console.error(`Cannot build the Teams app package:\n  ${problems.join('\n  ')}`);
    return 2;
  }
  const manifest = await teamsManifest(clientId, publicUrl);
  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: await readFile(join(TEAMS_MANIFEST_DIR, 'color.png')) },
    { name: 'outline.png', data: await readFile(join(TEAMS_MANIFEST_DIR, 'outline.png')) },
  ]);
  await writeFile(values.out, zip);
  console.log(
    `Wrote ${values.out}: upload it in Teams (Apps → Manage your apps → Upload an app) or the Teams admin centre. ` +
      `Set the bot's messaging endpoint to ${new URL('/api/messages', publicUrl).href}.`,
  );
  return 0;
}
