exports.handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, Number(event.queryStringParameters?.sleep ?? 0)));
  return { statusCode: 200, body: `v1 ${process.env.GREETING}` };
};
