using System.Data.Common;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Export;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace AiLandscape.Tests.Features.Export;

/// <summary>
/// With the app's own database options (a retrying execution strategy, which makes EF read a whole result set into
/// memory before the first row), a download still streams: most of the file has reached the client before the
/// database has finished sending rows. Without that, a 100k-row export holds every row in the server's memory.
/// </summary>
public class ExportStreamingTests
{
    private const int ExtraRounds = 6_000;

    [Fact]
    public async Task Rounds_csv_and_the_dataset_reach_the_client_while_the_database_is_still_sending_rows()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("export_streaming");
        await AddRoundsAsync(connectionString);
        var output = new CountingStream();
        var readers = new ReaderWatch();
        output.Watch = readers;
        var services = new ServiceCollection()
            .AddDbContextFactory<AppDbContext>(o => o.UseAppDatabase(connectionString).AddInterceptors(readers))
            .BuildServiceProvider();
        await using var _ = services;
        var export = new ExportService(services.GetRequiredService<IDbContextFactory<AppDbContext>>());

        await export.WriteRoundsCsvAsync(output, new RoundQuery(), default);
        var total = readers.RowsRead;
        Assert.True(total > ExtraRounds, $"{total} rows read");
        Assert.True(output.Bytes > 1_000_000, $"the CSV of {total} rounds is {output.Bytes} bytes");
        Assert.True(output.RowsReadAtFirstWrite < total / 2,
            $"{output.RowsReadAtFirstWrite} of {total} rows had been read from the database before the first bytes reached the client");

        output.Bytes = 0;
        output.RowsReadAtFirstWrite = null;
        readers.RowsRead = 0;
        await export.WriteDatasetJsonAsync(output, default);
        Assert.True(output.Bytes > 2_000_000, $"the dataset is {output.Bytes} bytes");
        Assert.True(output.RowsReadAtFirstWrite < ExtraRounds / 2,
            $"{output.RowsReadAtFirstWrite} of {readers.RowsRead} rows had been read from the database before the first bytes reached the client");
    }

    /// <summary>Copies of the seed's rounds (one company's), enough for a download of more than a megabyte.</summary>
    private static async Task AddRoundsAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var columns = new NpgsqlCommand("""
            SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
            FROM information_schema.columns
            WHERE table_name = 'funding_rounds' AND column_name <> 'id' AND is_generated = 'NEVER' AND is_identity = 'NO'
            """, conn);
        var list = (string)(await columns.ExecuteScalarAsync())!;
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO funding_rounds ({list})
            SELECT {list} FROM (SELECT * FROM funding_rounds ORDER BY id LIMIT 1) r, generate_series(1, {ExtraRounds})
            """, conn);
        Assert.Equal(ExtraRounds, await insert.ExecuteNonQueryAsync());
    }

    /// <summary>
    /// Counts the rows read from the database, and notes how many had been read when the first bytes after the header
    /// reached the client: a buffered query reads every row first.
    /// </summary>
    private sealed class ReaderWatch : DbCommandInterceptor
    {
        public int RowsRead;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
            DbDataReader result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<DbDataReader>(new CountingReader(result, this));

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
            new CountingReader(result, this);

        private sealed class CountingReader(DbDataReader inner, ReaderWatch watch) : DbDataReader
        {
            public override bool Read()
            {
                var more = inner.Read();
                watch.RowsRead += more ? 1 : 0;
                return more;
            }

            public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
            {
                var more = await inner.ReadAsync(cancellationToken);
                watch.RowsRead += more ? 1 : 0;
                return more;
            }

            public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);
            public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => inner.GetFieldValueAsync<T>(ordinal, cancellationToken);
            public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);
            public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => inner.NextResultAsync(cancellationToken);
            public override Task CloseAsync() => inner.CloseAsync();
            public override ValueTask DisposeAsync() => inner.DisposeAsync();
            public override void Close() => inner.Close();
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }
            }

            public override object this[int ordinal] => inner[ordinal];
            public override object this[string name] => inner[name];
            public override int Depth => inner.Depth;
            public override int FieldCount => inner.FieldCount;
            public override bool HasRows => inner.HasRows;
            public override bool IsClosed => inner.IsClosed;
            public override int RecordsAffected => inner.RecordsAffected;
            public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);
            public override byte GetByte(int ordinal) => inner.GetByte(ordinal);
            public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
            public override char GetChar(int ordinal) => inner.GetChar(ordinal);
            public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
            public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
            public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);
            public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);
            public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);
            public override System.Collections.IEnumerator GetEnumerator() => ((System.Collections.IEnumerable)inner).GetEnumerator();
            public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);
            public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);
            public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);
            public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);
            public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);
            public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);
            public override string GetName(int ordinal) => inner.GetName(ordinal);
            public override int GetOrdinal(string name) => inner.GetOrdinal(name);
            public override string GetString(int ordinal) => inner.GetString(ordinal);
            public override object GetValue(int ordinal) => inner.GetValue(ordinal);
            public override int GetValues(object[] values) => inner.GetValues(values);
            public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);
            public override bool NextResult() => inner.NextResult();
        }
    }

    /// <summary>The client: counts bytes, and notes how many rows had been read from the database at the first write.</summary>
    private sealed class CountingStream : Stream
    {
        public ReaderWatch? Watch { get; set; }
        public int? RowsReadAtFirstWrite { get; set; }
        public long Bytes
        {
            get;
            set
            {
                if (value > 0 && RowsReadAtFirstWrite is null && Watch is not null)
                {
                    RowsReadAtFirstWrite = Watch.RowsRead;
                }
                field = value;
            }
        }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Bytes;
        public override long Position { get => Bytes; set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => Bytes += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Bytes += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Bytes += count;
            return Task.CompletedTask;
        }

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
