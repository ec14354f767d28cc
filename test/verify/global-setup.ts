import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STATS_DIR_ENV } from './verify-stats';

/** A fresh directory for the counts; the test workers inherit the variable. */
export default function globalSetup(): void {
  process.env[STATS_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'ewi-verify-stats-'));
}
