// aws-cdk-lib's built-in CloudFormation validation costs ~4 s and ~300 MB per
// process. Unit tests assert the template themselves; the examples test turns
// it back on, because there template validity is the point.
process.env.CDK_VALIDATION = 'false';
