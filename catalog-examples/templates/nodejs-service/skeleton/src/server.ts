import { createServer } from 'node:http';

// ${{ values.name }}: ${{ values.description }}
const port = Number(process.env.PORT ?? ${{ values.port }});

export const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ service: '${{ values.name }}' }));
});

if (process.env.NODE_ENV !== 'test') {
  server.listen(port, () => console.log(`${{ values.name }} listening on ${port}`));
}
