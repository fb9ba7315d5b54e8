import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addCostbotStacks } from '/work/main/infra/costbot-app.ts';

const t0 = Date.now();
const app = new App({
  outdir: '/tmp/try-out',
  context: {
    'aws:cdk:bundling-stacks': [],
    withBot: true,
    botEntry: 'workflows/steps/summarize/lambda.ts',
    account: '111111111111',
    region: 'eu-west-1',
    fetchRoleArn: 'arn:aws:iam::111111111111:role/fetch',
    readerRoleArns: 'arn:aws:iam::222222222222:role/costbot-cloudwatch-reader',
  },
});
const { costbot } = addCostbotStacks(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try {
  app.synth();
} catch (e) {
  console.log('SYNTH ERR', (e as Error).message.slice(0, 3000));
}
console.log('ms', Date.now() - t0);
