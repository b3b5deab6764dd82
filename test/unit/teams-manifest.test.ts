import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { describe, expect, it } from 'vitest';
import { manifestCommand, TEAMS_MANIFEST_DIR } from '../../src/cli/manifest-command.js';

/** Reads the entries of a ZIP through its central directory, as unzip does. */
function unzip(zip: Buffer): Record<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out[name] = inflateRawSync(zip.subarray(dataAt, dataAt + size));
    p += 46 + nameLen + extra;
  }
  return out;
}

const pngSize = (b: Buffer) => [b.readUInt32BE(16), b.readUInt32BE(20)];

describe('the Teams app manifest', () => {
  it('validates offline against the bundled official 1.19 schema', async () => {
    const manifest = JSON.parse(await readFile(join(TEAMS_MANIFEST_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.manifestVersion).toBe('1.19');
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
  });

  it('has icons of the sizes Teams requires', async () => {
    expect(pngSize(await readFile(join(TEAMS_MANIFEST_DIR, 'color.png')))).toEqual([192, 192]);
    expect(pngSize(await readFile(join(TEAMS_MANIFEST_DIR, 'outline.png')))).toEqual([32, 32]);
  });

  it('`manifest teams --out` writes a package with the bot id and the public host filled in', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'teams-pkg-')), 'app.zip');
    const clientId = '11111111-2222-4333-8444-555555555555';
    const code = await manifestCommand(['teams', '--out', out], {
      TEAMS_CLIENT_ID: clientId,
      PUBLIC_URL: 'https://bot.acme.example:8443/base',
    });
    expect(code).toBe(0);
    const files = unzip(await readFile(out));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files['manifest.json']!.toString('utf8'));
    expect(manifest.bots[0].botId).toBe(clientId);
    expect(manifest.id).toBe(clientId);
    expect(manifest.validDomains).toEqual(['bot.acme.example:8443']);
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    expect(pngSize(files['color.png']!)).toEqual([192, 192]);
  });

  it('refuses to build a package without TEAMS_CLIENT_ID and PUBLIC_URL', async () => {
    expect(await manifestCommand(['teams', '--out', '/nonexistent/app.zip'], {})).toBe(2);
  });
});
