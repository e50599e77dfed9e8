import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { MatrixDescription } from '../../convert/describe-matrix.js';
import { detectInput, InputFormat } from '../../read/input-format.js';
import { selectionOf, wholeContig } from '../../select/regions.js';
import { inputOptions, selectionOption, type InputArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { withInput } from '../open-input.js';
import { openOutput } from '../../write/output-sink.js';

interface InfoArgs extends InputArgs {
  json?: boolean;
}

/** `genomatrix info <matrix>`: samples, pairs, contigs, bytes per column, alleles. */
export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info <matrix>',
  describe: 'Show samples, pairs, contigs with site counts, bytes in memory per column, the allele dictionary',
  builder: (yargs: Argv) =>
    withExamples(inputOptions(yargs).option('json', { type: 'boolean', describe: 'Print the description as JSON' }), [
      { what: 'a packed matrix is described from its metadata alone', commands: ['$0 info matrix.arrow'] },
      { what: 'a text matrix is loaded first; JSON for scripts', commands: ['$0 info matrix.tsv.gz --json'] },
      { what: 'how many sites a region holds', commands: ['$0 info matrix.arrow -r chr2:740000-745000'] },
    ]) as unknown as Argv<InfoArgs>,
  handler: async (argv: ArgumentsCamelCase<InfoArgs>) => {
    const [{ describeMatrix, describePackedMatrix, formatDescription }, { withStdinSpool }] = await Promise.all([import('../../convert/describe-matrix.js'), import('../../read/stdin-spool.js')]);
    // Through the one output sink: a closed pipe ends quietly, a full disk is one line.
    // Standard input is spooled to a temporary file (read/stdin-spool.ts); the description names `-`.
    const show = async (found: MatrixDescription): Promise<void> => {
      const description = { ...found, source: argv.matrix };
      const sink = await openOutput('-');
      await sink.write(Buffer.from(argv.json ? JSON.stringify(description, null, 2) + '\n' : formatDescription(description)));
      await sink.commit();
    };
    // A packed matrix is described from its metadata: nothing to read, however large the file,
    // unless regions cut contigs (their sites are then counted on POS, so the batches are read).
    const selection = selectionOf(selectionOption(argv));
    const wholeContigs = !selection || [...selection.intervals.values()].every(wholeContig);
    await withStdinSpool(argv.matrix, async (file) => {
      if (detectInput(file).format === InputFormat.arrow && argv.header === undefined && wholeContigs) {
        await show(describePackedMatrix(file, selection && [...selection.intervals.keys()]));
      } else await withInput({ ...argv, matrix: file }, async (matrix) => await show(describeMatrix(matrix)));
    });
  },
};
