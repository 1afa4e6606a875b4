class IndexCustomers < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_index :customers, :email, unique: true, algorithm: :concurrently
    create_table :audits do |t|
      t.datetime :at
      t.index :at
    end
  end
end
