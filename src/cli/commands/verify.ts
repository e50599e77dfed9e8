import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withExamples } from '../help.js';

interface VerifyArgs {
  matrix: string;
}

/** `genomatrix verify <matrix.arrow>`: every checksum and every value of a packed matrix. */
export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <matrix>',
  describe: 'Check a packed .arrow matrix completely: every buffer checksum and every value; prints one OK line or the error (exit 1)',
  builder: (yargs: Argv) =>
    withExamples(
      yargs
        .positional('matrix', { type: 'string', demandOption: true, describe: 'A packed .arrow matrix (genomatrix pack)' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'Accepted as by every command' }),
      [{ what: 'check every checksum and value of a packed matrix', commands: ['$0 verify matrix.arrow'] }],
    ) as unknown as Argv<VerifyArgs>,
  handler: async (argv: ArgumentsCamelCase<VerifyArgs>) => {
    const [{ withStdinSpool }, { formatVerified, verifyPacked }, { openOutput }] = await Promise.all([import('../../read/stdin-spool.js'), import('../../read/verify-packed.js'), import('../../write/output-sink.js')]);
    const summary = await withStdinSpool(argv.matrix, (file) => verifyPacked(file)); // `-`: spooled (read/stdin-spool.ts)
    const sink = await openOutput('-');
    await sink.write(Buffer.from(formatVerified({ ...summary, path: argv.matrix })));
    await sink.commit();
  },
};
