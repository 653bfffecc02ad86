/**
 * The narrow baseline of issue 17, a plain script timed as a whole process
 * like the import: read the file, JSON.parse it, insert one row per item
 * (snapshot, key, a dozen columns, the raw JSON) into a table keyed
 * (snapshot, key) with no other index, in one transaction.
 * Usage: node _narrow-baseline.mjs FILE DB   (prints the row count)
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';

const [file, dbPath] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
const items = Array.isArray(doc) ? doc : doc.value;
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE items (
  snapshot TEXT NOT NULL, key TEXT NOT NULL, name TEXT, vault TEXT, subscription TEXT, resource_group TEXT, workload TEXT,
  management_type TEXT, protection_state TEXT, health TEXT, last_backup_status TEXT, last_backup_time TEXT, policy TEXT,
  source_id TEXT, raw TEXT NOT NULL, PRIMARY KEY (snapshot, key))`);
const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
const snapshot = 'baseline';
db.transaction(() => {
  for (const it of items) {
    const p = it.properties ?? {};
    const id = String(it.id);
    const parts = id.split('/');
    const at = (name) => {
      const i = parts.findIndex((x) => x.toLowerCase() === name);
      return i >= 0 ? (parts[i + 1] ?? null) : null;
    };
    insert.run(
      snapshot, id.toLowerCase(), p.friendlyName ?? it.name ?? null, at('vaults'), at('subscriptions'), at('resourcegroups'), p.workloadType ?? null,
      p.backupManagementType ?? null, p.protectionState ?? null, p.healthStatus ?? p.protectedItemHealthStatus ?? null, p.lastBackupStatus ?? null,
      p.lastBackupTime ?? null, p.policyName ?? p.policyId ?? null, p.sourceResourceId ?? null, JSON.stringify(it),
    );
  }
})();
db.close();
process.stdout.write(`${items.length}\n`);
