using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiLandscape.Web.Data.Configurations;

public class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    /// <summary>The longest key accepted (a UUID needs 36).</summary>
    public const int MaxKeyLength = 200;

    public void Configure(EntityTypeBuilder<IdempotencyKey> b)
    {
        b.HasKey(k => new { k.UserId, k.Key });
        b.Property(k => k.UserId).HasMaxLength(450);
        b.Property(k => k.Key).HasMaxLength(MaxKeyLength);
        b.Property(k => k.Location).HasMaxLength(500);
        b.Property(k => k.RecordSlug).HasMaxLength(200);
        // Expired keys are deleted by age.
        b.HasIndex(k => k.CreatedAt);
    }
}
